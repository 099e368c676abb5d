"""Post-calculation of finished projects, the reference class and testing proposed projects."""
