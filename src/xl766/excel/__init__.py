"""Excel adapters: worksheet functions, ribbon entry points, and the template build."""
