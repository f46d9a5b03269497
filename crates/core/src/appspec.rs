//! AppSpec parsing (YAML and JSON) for the Lambda and ECS shapes.
