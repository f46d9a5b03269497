//! Deployment configs and the traffic schedules they produce.
