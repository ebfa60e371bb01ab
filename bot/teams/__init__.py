"""Microsoft Teams: the Teams SDK's app, authenticated against Bot Framework (or the tests' emulator)."""
