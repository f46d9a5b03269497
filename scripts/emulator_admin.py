"""The emulator's administrator (see emulator.py): the keys the tests' and the demo's own set-up
sign with. crates/emulator/src/lib.rs holds the same two values."""

ADMIN_ACCESS_KEY_ID = "AKIAGRADUALADMIN0000"
ADMIN_SECRET_ACCESS_KEY = "gradual-emulator-administrator-secret-key"
