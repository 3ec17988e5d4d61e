//! Typed reads of single variables, collecting every problem instead of stopping at the first.

use std::ops::RangeInclusive;

use crate::env::Env;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::types::{Invalid, RoleArn, is_resource_id};

pub(super) struct Reader<'a> {
    pub(super) env: &'a Env,
    errors: InputErrors,
}

impl<'a> Reader<'a> {
    pub(super) fn new(env: &'a Env) -> Self {
        Self { env, errors: InputErrors::default() }
    }

    pub(super) fn into_errors(self) -> InputErrors {
        self.errors
    }

    pub(super) fn push(&mut self, error: InputError) {
        self.errors.push(error);
    }

    pub(super) fn text(&self, name: &str) -> Option<String> {
        self.env.get(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
    }

    /// The value as a message shows it: quoted, unless the variable may carry a credential
    /// (`var::SECRET_BEARING`), whose value is never echoed; the message still names the input.
    fn shown(name: &str, value: &str) -> String {
        if var::SECRET_BEARING.contains(&name) {
            format!("the value ({} characters, not shown: it may hold a secret)", value.chars().count())
        } else {
            format!("`{value}`")
        }
    }

    fn fail(&mut self, name: &str, message: String, hint: impl Into<String>) {
        let location = self.env.location(name);
        self.errors.push(InputError::new(location, message, hint));
    }

    /// `true`/`false` in any case; unset or empty is `false`. The original treated any
    /// non-empty value, `false` included, as true.
    pub(super) fn boolean(&mut self, name: &str) -> bool {
        let Some(value) = self.text(name) else { return false };
        match value.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                self.fail(
                    name,
                    format!("{} is not a boolean", Self::shown(name, &value)),
                    format!("set `{name}=true` or `{name}=false`, or leave it empty"),
                );
                false
            }
        }
    }

    pub(super) fn integer(&mut self, name: &str, range: RangeInclusive<u32>, unit: &str) -> Option<u32> {
        let value = self.text(name)?;
        match value.parse::<u32>() {
            Ok(number) if range.contains(&number) => Some(number),
            _ => {
                self.fail(
                    name,
                    format!(
                        "{} is not a whole number from {} to {}",
                        Self::shown(name, &value),
                        range.start(),
                        range.end()
                    ),
                    format!("set {name} to {unit} between {} and {}", range.start(), range.end()),
                );
                None
            }
        }
    }

    /// A comma-separated list of AWS resource ids such as `subnet-0abc,subnet-0def`.
    pub(super) fn ids(&mut self, name: &str, prefix: &str) -> Vec<String> {
        let Some(value) = self.text(name) else { return Vec::new() };
        let mut ids = Vec::new();
        for (index, item) in value.split(',').map(str::trim).enumerate() {
            if !is_resource_id(item, prefix) {
                let shown = if item.is_empty() { "an empty item".to_owned() } else { format!("`{item}`") };
                self.fail(
                    name,
                    format!("item {} is {shown}, not a `{prefix}` id", index + 1),
                    format!("list ids separated by commas, e.g. `{prefix}0a1b2c3d,{prefix}4e5f6a7b`"),
                );
                return Vec::new();
            }
            if ids.iter().any(|seen| seen == item) {
                self.fail(name, format!("`{item}` is listed twice"), "list each id once");
                return Vec::new();
            }
            ids.push(item.to_owned());
        }
        ids
    }

    /// An IAM role ARN, `arn:<partition>:iam::<account>:role/<name>`.
    pub(super) fn role_arn(&mut self, name: &str) -> Option<String> {
        self.typed(name, RoleArn::parse).map(String::from)
    }

    /// The variable's trimmed text through a type's `parse`.
    pub(super) fn typed<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        let value = self.text(name)?;
        let location = self.env.location(name);
        self.errors.take(parse(&value).map_err(|invalid| invalid.at(location)))
    }

    /// Runs a grammar parser over the variable, naming the input as the user set it.
    pub(super) fn parsed<T>(
        &mut self,
        name: &str,
        parser: impl FnOnce(Location, &str) -> Result<T, InputError>,
    ) -> Option<T> {
        let value = self.env.get(name)?;
        self.errors.take(parser(self.env.location(name), value))
    }

    /// One of `choices`, compared without case.
    pub(super) fn choice(&mut self, name: &str, choices: &[&'static str]) -> Option<&'static str> {
        let value = self.text(name)?;
        let found = choices.iter().find(|choice| choice.eq_ignore_ascii_case(&value)).copied();
        if found.is_none() {
            let list = choices.iter().map(|choice| format!("`{choice}`")).collect::<Vec<_>>().join(" or ");
            self.fail(
                name,
                format!("{} is not a valid value", Self::shown(name, &value)),
                format!("set {name} to {list}"),
            );
        }
        found
    }

    /// A value that must satisfy `valid`; `expected` describes it for the message.
    pub(super) fn checked(
        &mut self,
        name: &str,
        valid: impl Fn(&str) -> bool,
        expected: &str,
        hint: &str,
    ) -> Option<String> {
        let value = self.text(name)?;
        if valid(&value) {
            Some(value)
        } else {
            self.fail(name, format!("{} is not {expected}", Self::shown(name, &value)), hint);
            None
        }
    }
}
