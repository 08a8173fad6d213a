"""imageshare: a simulated Docker world for learning how images are shared."""
