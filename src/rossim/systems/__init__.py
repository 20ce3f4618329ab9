"""Station systems: power (arrays and batteries), propellant, life-support consumables."""
