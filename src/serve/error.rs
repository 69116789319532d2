//! Errors the classroom view's API answers with: an HTTP status and a JSON body
//! `{"error": "...", "problems": [{"line", "column", "field", "message"}]}` that the page shows
//! as it is. Scenario problems keep their file line and column.

use crate::scenario::ScenarioError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// One located problem of an uploaded scenario or of a lever (an `[[events]]` entry).
#[derive(Debug, Clone, Serialize)]
pub struct ProblemJson {
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

/// A refused request.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub error: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemJson>,
}

impl ApiError {
    fn new(status: u16, error: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            problems: Vec::new(),
        }
    }
    pub fn bad_request(e: impl Into<String>) -> Self {
        Self::new(400, e)
    }
    pub fn not_found(e: impl Into<String>) -> Self {
        Self::new(404, e)
    }
    pub fn too_large(e: impl Into<String>) -> Self {
        Self::new(413, e)
    }
    pub fn busy(e: impl Into<String>) -> Self {
        Self::new(503, e)
    }
    pub fn internal(e: impl Into<String>) -> Self {
        Self::new(500, e)
    }
}

impl From<ScenarioError> for ApiError {
    fn from(e: ScenarioError) -> Self {
        let problems = match &e {
            ScenarioError::Parse {
                line,
                column,
                message,
                ..
            } => vec![ProblemJson {
                line: *line,
                column: *column,
                field: String::new(),
                message: message.clone(),
            }],
            ScenarioError::Invalid { problems, .. } => problems
                .iter()
                .map(|p| ProblemJson {
                    line: p.line,
                    column: p.column,
                    field: p.field.clone(),
                    message: p.message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiError {
            status: 400,
            error: e.to_string(),
            problems,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(self)).into_response()
    }
}
