//! A network's collaboration map per campaign (wave).
