//! Attachments: sharing a file (`StartAttachmentUpload`, an HTTP PUT to the pre-signed
//! URL with exactly the headers the service returned, `CompleteAttachmentUpload`) and
//! fetching one (`GetAttachment`, then a GET of its pre-signed URL). Sizes are checked
//! on both sides; the pre-signed URLs never appear in errors or logs.

use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use awsgen_runtime::{HttpRequest, HttpTransport, ReqwestTransport, TransportSettings};

use crate::session::{ChatError, ChatSession};

/// The largest attachment Amazon Connect chat accepts, in bytes (20 MB); larger files are
/// refused before anything is sent, and larger downloads before they are read.
pub const MAX_ATTACHMENT: usize = 20 * 1024 * 1024;

/// How long one transfer (upload or download) may take.
pub const TRANSFER_TIMEOUT: Duration = Duration::from_secs(300);

impl ChatSession {
    /// Shares `bytes` as a file named `name`; returns the attachment's id.
    pub async fn upload(
        &self,
        name: &str,
        content_type: &str,
        bytes: impl Into<Bytes>,
    ) -> Result<String, ChatError> {
        let bytes = bytes.into();
        if bytes.len() > MAX_ATTACHMENT {
            return Err(ChatError::new(format!(
                "the attachment has {} bytes, more than the {MAX_ATTACHMENT} allowed",
                bytes.len()
            )));
        }
        let token = self.connection_token()?;
        let started = self
            .client()
            .start_attachment_upload()
            .connection_token(&token)
            .attachment_name(name)
            .content_type(content_type)
            .attachment_size_in_bytes(bytes.len() as i64)
            .send()
            .await
            .map_err(|e| ChatError::failed("StartAttachmentUpload", e))?;
        let id = started
            .attachment_id()
            .ok_or_else(|| ChatError::new("StartAttachmentUpload returned no attachment id"))?
            .to_owned();
        let upload = started
            .upload_metadata()
            .ok_or_else(|| ChatError::new("StartAttachmentUpload returned no upload URL"))?;
        let url = upload
            .url()
            .ok_or_else(|| ChatError::new("StartAttachmentUpload returned no upload URL"))?;
        let mut headers = HeaderMap::new();
        if let Some(included) = upload.headers_to_include() {
            for (name, value) in included {
                let (Ok(name), Ok(value)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::try_from(value.as_str()),
                ) else {
                    return Err(ChatError::new(format!(
                        "StartAttachmentUpload asked for header {name:?}, which HTTP does not allow"
                    )));
                };
                headers.insert(name, value);
            }
        }
        transfer(
            self,
            Method::PUT,
            url,
            headers,
            bytes,
            "uploading the attachment",
        )
        .await?;
        self.client()
            .complete_attachment_upload()
            .connection_token(token)
            .attachment_ids(&id)
            .send()
            .await
            .map_err(|e| ChatError::failed("CompleteAttachmentUpload", e))?;
        Ok(id)
    }

    /// Shares the file at `path` (named as the file is); returns the attachment's id.
    pub async fn upload_file(
        &self,
        path: impl AsRef<Path>,
        content_type: &str,
    ) -> Result<String, ChatError> {
        let path = path.as_ref();
        let size = std::fs::metadata(path)
            .map_err(|e| ChatError::failed(&format!("reading {}", path.display()), e))?
            .len();
        if size > MAX_ATTACHMENT as u64 {
            return Err(ChatError::new(format!(
                "{} has {size} bytes, more than the {MAX_ATTACHMENT} allowed",
                path.display()
            )));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ChatError::failed(&format!("reading {}", path.display()), e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "attachment".to_owned());
        self.upload(&name, content_type, bytes).await
    }

    /// The content of attachment `attachment_id`.
    pub async fn download(&self, attachment_id: &str) -> Result<Vec<u8>, ChatError> {
        let attachment = self
            .client()
            .get_attachment()
            .connection_token(self.connection_token()?)
            .attachment_id(attachment_id)
            .send()
            .await
            .map_err(|e| ChatError::failed("GetAttachment", e))?;
        let declared = attachment.attachment_size_in_bytes();
        if declared.is_some_and(|size| size < 0 || size as u64 > MAX_ATTACHMENT as u64) {
            return Err(ChatError::new(format!(
                "the attachment is said to have {} bytes, more than the {MAX_ATTACHMENT} allowed",
                declared.unwrap_or_default()
            )));
        }
        let url = attachment
            .url()
            .ok_or_else(|| ChatError::new("GetAttachment returned no URL"))?;
        let body = transfer(
            self,
            Method::GET,
            url,
            HeaderMap::new(),
            Bytes::new(),
            "downloading the attachment",
        )
        .await?;
        if let Some(size) = declared.filter(|size| *size as usize != body.len()) {
            return Err(ChatError::new(format!(
                "the attachment has {} bytes where GetAttachment said {size}",
                body.len()
            )));
        }
        Ok(body.to_vec())
    }
}

/// One request to a pre-signed URL, bounded in size and time, through the client's proxy
/// if it has one. The URL must be `https://` unless the client's own endpoint is plain
/// `http://` (local testing): anything else is a downgrade, refused. Errors say what
/// failed and the status, never the URL (it grants access to the file).
async fn transfer(
    session: &ChatSession,
    method: Method,
    url: &str,
    headers: HeaderMap,
    body: Bytes,
    what: &str,
) -> Result<Bytes, ChatError> {
    let client = session.client();
    let plain_allowed = client.endpoint().starts_with("http://");
    let scheme_ok = url.starts_with("https://") || (plain_allowed && url.starts_with("http://"));
    if !scheme_ok {
        return Err(ChatError::new(format!(
            "{what} refused: the service gave a pre-signed URL that is not https://"
        )));
    }
    let transport = ReqwestTransport::new(&TransportSettings {
        connect_timeout: Some(Duration::from_secs(5)),
        max_response_body: MAX_ATTACHMENT,
        proxy: client.config().proxy().map(str::to_owned),
        max_idle_connections: 0,
    })
    .map_err(|e| ChatError::new(format!("{what} failed: {e}")))?;
    let request = HttpRequest {
        method,
        url: url.to_owned(),
        headers,
        body,
        operation: None,
    };
    let response = tokio::time::timeout(TRANSFER_TIMEOUT, transport.send(request))
        .await
        .map_err(|_| ChatError::new(format!("{what} took more than {TRANSFER_TIMEOUT:?}")))?
        .map_err(|e| ChatError::new(format!("{what} failed: {e}")))?;
    if !(200..300).contains(&response.status) {
        return Err(ChatError::new(format!(
            "{what} failed: HTTP {}",
            response.status
        )));
    }
    Ok(response.body)
}
