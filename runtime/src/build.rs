//! The error a builder returns when required members are missing.

use std::fmt;

/// A required member that was not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingMember {
    /// The member's name in the service model, e.g. `ConnectionToken`.
    pub name: &'static str,
    /// The builder method that sets it, e.g. `connection_token`.
    pub setter: &'static str,
}

/// Building an operation input failed: every missing required member is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    missing: Vec<MissingMember>,
}

impl BuildError {
    /// Checks a builder's required members, each given as (model name, setter, whether it
    /// is set): `Ok(())` when all are set, else an error naming every one that is not.
    #[doc(hidden)]
    pub fn require(
        type_name: &'static str,
        members: &[(&'static str, &'static str, bool)],
    ) -> Result<(), BuildError> {
        let missing: Vec<MissingMember> = members
            .iter()
            .filter(|(_, _, set)| !set)
            .map(|&(name, setter, _)| MissingMember { name, setter })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(BuildError { type_name, missing })
        }
    }

    /// The type that could not be built.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The members that were required but not set, in model order.
    pub fn missing(&self) -> &[MissingMember] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build {}: missing required ", self.type_name)?;
        f.write_str(if self.missing.len() == 1 {
            "member "
        } else {
            "members "
        })?;
        for (i, member) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{} (set it with `.{}(..)`)", member.name, member.setter)?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_missing_member() {
        let members = [
            ("ContentType", "content_type", true),
            ("Content", "content", false),
            ("ConnectionToken", "connection_token", false),
        ];
        let error = BuildError::require("SendMessageInput", &members).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot build SendMessageInput: missing required members Content (set it with `.content(..)`), \
             ConnectionToken (set it with `.connection_token(..)`)"
        );
        assert_eq!(error.missing().len(), 2);
        assert!(BuildError::require("X", &[("A", "a", true)]).is_ok());
    }
}
