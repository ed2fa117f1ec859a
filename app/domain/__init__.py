"""Pure union rules: no database, no Qt. See shared/domain/RULES.md."""
