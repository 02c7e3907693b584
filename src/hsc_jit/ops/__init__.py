"""Operations helpers: the before-production checklist measured from a running instance."""
