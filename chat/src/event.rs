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
    /// A participant has been idle for the time the contact's chat timeouts allow.
    ParticipantIdle(Item),
    /// An idle participant is active again.
    ParticipantReturned(Item),
    /// A participant was invited into the chat.
    ParticipantInvited(Item),
    /// A participant was disconnected for being idle too long.
    AutoDisconnection(Item),
    /// A participant's display name changed (the item carries the new one).
    DisplayNameUpdated(Item),
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
    /// A persistent chat was rehydrated: the previous contact's transcript is available.
    ChatRehydrated(Item),
    /// The flow asked the customer to authenticate (the content holds its session id,
    /// for `GetAuthenticationUrl`).
    AuthenticationInitiated(Item),
    /// The customer authenticated.
    AuthenticationSucceeded(Item),
    /// Authentication failed.
    AuthenticationFailed(Item),
    /// Authentication was not completed in time (also when the customer closes the page).
    AuthenticationTimedOut(Item),
    /// The authentication URL expired before it was used.
    AuthenticationExpired(Item),
    /// Authentication was cancelled (`CancelParticipantAuthentication`).
    AuthenticationCancelled(Item),
    /// The chat ended: the session is over.
    ChatEnded(Item),
    /// An item of a kind this version does not know (kept, not dropped).
    Other(Item),
}

/// A variant of [`ChatEvent`], as a function of its item.
type Variant = fn(Item) -> ChatEvent;

/// Event content types (after [`EVENT_CONTENT_TYPE`]) and the event each is, as ChatJS and
/// the mobile SDKs name them.
const EVENTS: &[(&str, Variant)] = &[
    ("typing", ChatEvent::Typing),
    ("participant.joined", ChatEvent::ParticipantJoined),
    ("participant.left", ChatEvent::ParticipantLeft),
    ("participant.idle", ChatEvent::ParticipantIdle),
    ("participant.returned", ChatEvent::ParticipantReturned),
    ("participant.invited", ChatEvent::ParticipantInvited),
    (
        "participant.autodisconnection",
        ChatEvent::AutoDisconnection,
    ),
    (
        "participant.displayname.updated",
        ChatEvent::DisplayNameUpdated,
    ),
    ("message.delivered", ChatEvent::Delivered),
    ("message.read", ChatEvent::Read),
    ("connection.acknowledged", ChatEvent::ConnectionAcknowledged),
    ("transfer.succeeded", ChatEvent::TransferSucceeded),
    ("transfer.failed", ChatEvent::TransferFailed),
    ("chat.ended", ChatEvent::ChatEnded),
    ("chat.rehydrated", ChatEvent::ChatRehydrated),
    (
        "authentication.initiated",
        ChatEvent::AuthenticationInitiated,
    ),
    (
        "authentication.succeeded",
        ChatEvent::AuthenticationSucceeded,
    ),
    ("authentication.failed", ChatEvent::AuthenticationFailed),
    ("authentication.timeout", ChatEvent::AuthenticationTimedOut),
    ("authentication.expired", ChatEvent::AuthenticationExpired),
    (
        "authentication.cancelled",
        ChatEvent::AuthenticationCancelled,
    ),
];

impl std::fmt::Debug for ChatEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let item = self.item();
        f.debug_struct(self.kind())
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
    /// Reads what `item` is: by its event content type, else by its `Type`.
    pub fn classify(item: Item) -> ChatEvent {
        let event = item
            .content_type()
            .and_then(|t| t.strip_prefix(EVENT_CONTENT_TYPE))
            .and_then(|name| EVENTS.iter().find(|(known, _)| *known == name))
            .map(|(_, event)| *event);
        if let Some(event) = event {
            return event(item);
        }
        let by_type: Variant = match item.r#type() {
            Some(ChatItemType::Message) => ChatEvent::Message,
            Some(ChatItemType::Attachment) => ChatEvent::Attachment,
            Some(ChatItemType::Typing) => ChatEvent::Typing,
            Some(ChatItemType::ParticipantJoined) => ChatEvent::ParticipantJoined,
            Some(ChatItemType::ParticipantLeft) => ChatEvent::ParticipantLeft,
            Some(ChatItemType::ChatEnded) => ChatEvent::ChatEnded,
            Some(ChatItemType::TransferSucceeded) => ChatEvent::TransferSucceeded,
            Some(ChatItemType::TransferFailed) => ChatEvent::TransferFailed,
            Some(ChatItemType::ConnectionAck) => ChatEvent::ConnectionAcknowledged,
            Some(ChatItemType::MessageDelivered) => ChatEvent::Delivered,
            Some(ChatItemType::MessageRead) => ChatEvent::Read,
            _ => ChatEvent::Other,
        };
        by_type(item)
    }

    /// The variant's name, as `Debug` shows it.
    pub fn kind(&self) -> &'static str {
        match self {
            ChatEvent::Message(_) => "Message",
            ChatEvent::Attachment(_) => "Attachment",
            ChatEvent::Typing(_) => "Typing",
            ChatEvent::ParticipantJoined(_) => "ParticipantJoined",
            ChatEvent::ParticipantLeft(_) => "ParticipantLeft",
            ChatEvent::ParticipantIdle(_) => "ParticipantIdle",
            ChatEvent::ParticipantReturned(_) => "ParticipantReturned",
            ChatEvent::ParticipantInvited(_) => "ParticipantInvited",
            ChatEvent::AutoDisconnection(_) => "AutoDisconnection",
            ChatEvent::DisplayNameUpdated(_) => "DisplayNameUpdated",
            ChatEvent::Delivered(_) => "Delivered",
            ChatEvent::Read(_) => "Read",
            ChatEvent::ConnectionAcknowledged(_) => "ConnectionAcknowledged",
            ChatEvent::TransferSucceeded(_) => "TransferSucceeded",
            ChatEvent::TransferFailed(_) => "TransferFailed",
            ChatEvent::ChatRehydrated(_) => "ChatRehydrated",
            ChatEvent::AuthenticationInitiated(_) => "AuthenticationInitiated",
            ChatEvent::AuthenticationSucceeded(_) => "AuthenticationSucceeded",
            ChatEvent::AuthenticationFailed(_) => "AuthenticationFailed",
            ChatEvent::AuthenticationTimedOut(_) => "AuthenticationTimedOut",
            ChatEvent::AuthenticationExpired(_) => "AuthenticationExpired",
            ChatEvent::AuthenticationCancelled(_) => "AuthenticationCancelled",
            ChatEvent::ChatEnded(_) => "ChatEnded",
            ChatEvent::Other(_) => "Other",
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
            | ChatEvent::ParticipantIdle(item)
            | ChatEvent::ParticipantReturned(item)
            | ChatEvent::ParticipantInvited(item)
            | ChatEvent::AutoDisconnection(item)
            | ChatEvent::DisplayNameUpdated(item)
            | ChatEvent::Delivered(item)
            | ChatEvent::Read(item)
            | ChatEvent::ConnectionAcknowledged(item)
            | ChatEvent::TransferSucceeded(item)
            | ChatEvent::TransferFailed(item)
            | ChatEvent::ChatRehydrated(item)
            | ChatEvent::AuthenticationInitiated(item)
            | ChatEvent::AuthenticationSucceeded(item)
            | ChatEvent::AuthenticationFailed(item)
            | ChatEvent::AuthenticationTimedOut(item)
            | ChatEvent::AuthenticationExpired(item)
            | ChatEvent::AuthenticationCancelled(item)
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

    /// Every event content type ChatJS 3.x lists (its `ChatEventContentType`) is a typed
    /// event of its own, each a different one; anything else stays `Other`, item intact.
    #[test]
    fn every_event_chatjs_knows_is_typed() {
        let chatjs = [
            "typing",
            "message.read",
            "message.delivered",
            "participant.joined",
            "participant.left",
            "participant.idle",
            "participant.returned",
            "participant.invited",
            "participant.autodisconnection",
            "transfer.succeeded",
            "transfer.failed",
            "chat.ended",
            "chat.rehydrated",
            "connection.acknowledged",
            "authentication.initiated",
            "authentication.succeeded",
            "authentication.failed",
            "authentication.timeout",
            "authentication.expired",
            "authentication.cancelled",
            "participant.displayname.updated",
        ];
        let kinds: std::collections::BTreeSet<&str> = chatjs
            .iter()
            .map(|suffix| {
                let event =
                    ChatEvent::classify(item("EVENT", &format!("{EVENT_CONTENT_TYPE}{suffix}")));
                assert_ne!(event.kind(), "Other", "{suffix}");
                assert_eq!(event.item().id(), Some("i"));
                event.kind()
            })
            .collect();
        assert_eq!(kinds.len(), chatjs.len(), "each is a different event");
        let later = ChatEvent::classify(item("EVENT", &format!("{EVENT_CONTENT_TYPE}x.y")));
        assert_eq!(later.kind(), "Other");
        assert_eq!(
            later.item().content_type(),
            Some(format!("{EVENT_CONTENT_TYPE}x.y").as_str())
        );
        let shown = format!(
            "{:?}",
            ChatEvent::classify(item(
                "EVENT",
                &format!("{EVENT_CONTENT_TYPE}participant.idle")
            ))
        );
        assert!(shown.starts_with("ParticipantIdle"), "{shown}");
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
