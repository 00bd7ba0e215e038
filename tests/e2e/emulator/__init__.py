"""The telegram-test-api Bot API emulator for end-to-end tests: launcher, compat proxy, client."""
