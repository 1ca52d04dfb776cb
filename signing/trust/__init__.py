"""Trust material: EU trusted lists, the Japanese list, user anchors."""
