//! Rule `enum-descriptions`: the misspelled `x-enum-description` is renamed to
//! `x-enum-descriptions`; a list whose length differs from the enum's is reported (the
//! open-enums pass then names variants without it, since it cannot say which value each entry
//! describes).
//!
//! `zoom-meetings.json`
//! `#/paths/~1users~1{userId}~1webinars/post/…/follow_up_absentees_email_notification/properties/type`
//! has more descriptions than values.

use serde_json::{Map, Value};

pub struct EnumDescriptions;

impl super::Rule for EnumDescriptions {
    fn name(&self) -> &'static str {
        "enum-descriptions"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let mut changes = Vec::new();
        if !node.contains_key("x-enum-descriptions")
            && let Some(list @ Value::Array(_)) = node.remove("x-enum-description")
        {
            node.insert("x-enum-descriptions".into(), list);
            changes.push("renamed `x-enum-description` to `x-enum-descriptions`".into());
        }
        let descriptions = node
            .get("x-enum-descriptions")
            .and_then(Value::as_array)
            .map(Vec::len);
        let values = node.get("enum").and_then(Value::as_array).map(Vec::len);
        if let (Some(descriptions), Some(values)) = (descriptions, values)
            && descriptions != values
        {
            changes.push(format!(
                "{descriptions} descriptions for {values} values: not used for variant names"
            ));
        }
        changes
    }
}
