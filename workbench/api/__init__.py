"""What every API endpoint shares. Submodules stay light: settings name them, and DRF
imports them while it is itself being imported."""
