"""The data-resource catalogue: services over resources, items, categories, grades, regions."""
