//! A chat item as what happened: told apart by its content type
//! (`application/vnd.amazonaws.connect.event.` + `typing`, `participant.joined`, …) as
//! ChatJS and the mobile SDKs do, then by its `Type`.

use connectparticipant::types::{ChatItemType, Item};

/// The content-type prefix of events.
pub const EVENT_CONTENT_TYPE: &str = "application/vnd.amazonaws.connect.event.";

/// What a chat item is. Every variant keeps the item, for its id, time and participant.
/// Its `Debug` shows the kind, id, type, content type, time and role: never the content
/// or names.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum ChatEvent {
    /// A message (text, markdown, JSON, an interactive response).
    Message(Item),
    /// A file was shared.
    Attachment(Item),
    /// Someone is typing.
    Typing(Item),
    /// A participant joined.
    ParticipantJoined(Item),
    /// A participant left.
    ParticipantLeft(Item),
    /// A message was delivered to a participant.
    Delivered(Item),
    /// A message was read by a participant.
    Read(Item),
    /// The connection was acknowledged.
    ConnectionAcknowledged(Item),
    /// The contact was transferred.
    TransferSucceeded(Item),
    /// A transfer failed.
    TransferFailed(Item),
    /// The chat ended: the session is over.
    ChatEnded(Item),
    /// An item of a kind this version does not know (kept, not dropped).
    Other(Item),
}

impl std::fmt::Debug for ChatEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            ChatEvent::Message(_) => "Message",
            ChatEvent::Attachment(_) => "Attachment",
            ChatEvent::Typing(_) => "Typing",
            ChatEvent::ParticipantJoined(_) => "ParticipantJoined",
            ChatEvent::ParticipantLeft(_) => "ParticipantLeft",
            ChatEvent::Delivered(_) => "Delivered",
            ChatEvent::Read(_) => "Read",
            ChatEvent::ConnectionAcknowledged(_) => "ConnectionAcknowledged",
            ChatEvent::TransferSucceeded(_) => "TransferSucceeded",
            ChatEvent::TransferFailed(_) => "TransferFailed",
            ChatEvent::ChatEnded(_) => "ChatEnded",
            ChatEvent::Other(_) => "Other",
        };
        let item = self.item();
        f.debug_struct(kind)
            .field("id", &item.id())
            .field("type", &item.r#type().map(|t| t.as_str()))
            .field("content_type", &item.content_type())
            .field("absolute_time", &item.absolute_time())
            .field(
                "participant_role",
                &item.participant_role().map(|r| r.as_str()),
            )
            .finish_non_exhaustive()
    }
}

impl ChatEvent {
    /// Reads what `item` is.
    pub fn classify(item: Item) -> ChatEvent {
        let event = item
            .content_type()
            .and_then(|t| t.strip_prefix(EVENT_CONTENT_TYPE))
            .map(str::to_owned);
        match event.as_deref() {
            Some("typing") => return ChatEvent::Typing(item),
            Some("participant.joined") => return ChatEvent::ParticipantJoined(item),
            Some("participant.left") => return ChatEvent::ParticipantLeft(item),
            Some("chat.ended") => return ChatEvent::ChatEnded(item),
            Some("message.delivered") => return ChatEvent::Delivered(item),
            Some("message.read") => return ChatEvent::Read(item),
            Some("connection.acknowledged") => return ChatEvent::ConnectionAcknowledged(item),
            Some("transfer.succeeded") => return ChatEvent::TransferSucceeded(item),
            Some("transfer.failed") => return ChatEvent::TransferFailed(item),
            _ => {}
        }
        let kind = item.r#type().cloned();
        match kind {
            Some(ChatItemType::Message) => ChatEvent::Message(item),
            Some(ChatItemType::Attachment) => ChatEvent::Attachment(item),
            Some(ChatItemType::Typing) => ChatEvent::Typing(item),
            Some(ChatItemType::ParticipantJoined) => ChatEvent::ParticipantJoined(item),
            Some(ChatItemType::ParticipantLeft) => ChatEvent::ParticipantLeft(item),
            Some(ChatItemType::ChatEnded) => ChatEvent::ChatEnded(item),
            Some(ChatItemType::TransferSucceeded) => ChatEvent::TransferSucceeded(item),
            Some(ChatItemType::TransferFailed) => ChatEvent::TransferFailed(item),
            Some(ChatItemType::ConnectionAck) => ChatEvent::ConnectionAcknowledged(item),
            Some(ChatItemType::MessageDelivered) => ChatEvent::Delivered(item),
            Some(ChatItemType::MessageRead) => ChatEvent::Read(item),
            _ => ChatEvent::Other(item),
        }
    }

    /// The item the event came as.
    pub fn item(&self) -> &Item {
        match self {
            ChatEvent::Message(item)
            | ChatEvent::Attachment(item)
            | ChatEvent::Typing(item)
            | ChatEvent::ParticipantJoined(item)
            | ChatEvent::ParticipantLeft(item)
            | ChatEvent::Delivered(item)
            | ChatEvent::Read(item)
            | ChatEvent::ConnectionAcknowledged(item)
            | ChatEvent::TransferSucceeded(item)
            | ChatEvent::TransferFailed(item)
            | ChatEvent::ChatEnded(item)
            | ChatEvent::Other(item) => item,
        }
    }

    /// Whether the chat is over after this event.
    pub fn ends_chat(&self) -> bool {
        matches!(self, ChatEvent::ChatEnded(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &str, content_type: &str) -> Item {
        let json = serde_json::json!({"Id": "i", "Type": kind, "ContentType": content_type});
        crate::frame::read_item(json).unwrap()
    }

    #[test]
    fn events_are_told_apart_by_content_type() {
        let event = |suffix: &str| {
            ChatEvent::classify(item("EVENT", &format!("{EVENT_CONTENT_TYPE}{suffix}")))
        };
        assert!(matches!(event("typing"), ChatEvent::Typing(_)));
        assert!(matches!(
            event("participant.joined"),
            ChatEvent::ParticipantJoined(_)
        ));
        assert!(matches!(
            event("participant.left"),
            ChatEvent::ParticipantLeft(_)
        ));
        assert!(matches!(
            event("message.delivered"),
            ChatEvent::Delivered(_)
        ));
        assert!(matches!(event("message.read"), ChatEvent::Read(_)));
        assert!(matches!(
            event("connection.acknowledged"),
            ChatEvent::ConnectionAcknowledged(_)
        ));
        assert!(matches!(
            event("transfer.succeeded"),
            ChatEvent::TransferSucceeded(_)
        ));
        assert!(event("chat.ended").ends_chat());
        assert!(matches!(event("something.new"), ChatEvent::Other(_)));
    }

    #[test]
    fn messages_and_attachments_by_type() {
        assert!(matches!(
            ChatEvent::classify(item("MESSAGE", "text/plain")),
            ChatEvent::Message(_)
        ));
        assert!(matches!(
            ChatEvent::classify(item("ATTACHMENT", "application/pdf")),
            ChatEvent::Attachment(_)
        ));
        assert!(matches!(
            ChatEvent::classify(item("CHAT_ENDED", "")),
            ChatEvent::ChatEnded(_)
        ));
        let unknown = ChatEvent::classify(item("SOMETHING_NEW", "x/y"));
        assert!(matches!(&unknown, ChatEvent::Other(_)));
        assert_eq!(
            unknown.item().id(),
            Some("i"),
            "an unknown kind keeps its item"
        );
        assert!(!unknown.ends_chat());
    }

    #[test]
    fn debug_shows_no_content_or_names() {
        let json = serde_json::json!({"Id": "m1", "Type": "MESSAGE", "ContentType": "text/plain",
            "Content": "my card is 4111", "DisplayName": "Jane Doe", "ParticipantRole": "CUSTOMER"});
        let event = ChatEvent::classify(crate::frame::read_item(json).unwrap());
        let shown = format!("{event:?}");
        assert!(
            shown.starts_with("Message") && shown.contains("m1") && shown.contains("CUSTOMER"),
            "{shown}"
        );
        assert!(
            !shown.contains("4111") && !shown.contains("Jane"),
            "{shown}"
        );
    }
}
