"""The Classification area (分级分类): grade schemes, suggestions and their review queue,
coverage, and the category tree."""
