//! Who each of gradual's functions is in the local world: an emulator IAM user allowed exactly
//! the actions of the function's role in template.yaml (`scripts/function_roles.py`
//! translates the template with SAM's translator and resolves each role). The emulator checks
//! every call a function makes against its user's policy; the services the world serves
//! in-process check the same actions ([`Caller`]). A call the role lacks is refused with
//! AccessDenied, as in AWS.

use aws_credential_types::Credentials;
use gradual_emulator::{unique_name, Emulator, ACCOUNT_ID};
use gradual_handlers::Function;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// One function's identity: its keys and the IAM actions its role allows.
#[derive(Debug, Clone)]
pub struct FunctionIdentity {
    pub credentials: Credentials,
    pub caller: Caller,
}

/// Every function's identity.
#[derive(Debug, Clone)]
pub struct FunctionIdentities(BTreeMap<Function, FunctionIdentity>);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreatedIdentity {
    user: String,
    access_key_id: String,
    secret_access_key: String,
    actions: BTreeSet<String>,
}

static SHARED: OnceCell<Arc<FunctionIdentities>> = OnceCell::const_new();

impl FunctionIdentities {
    /// The identities of this process, created on the emulator on first use.
    pub async fn shared() -> Arc<FunctionIdentities> {
        SHARED
            .get_or_init(|| async { Arc::new(Self::create(&[]).await) })
            .await
            .clone()
    }

    /// New identities with `without`'s actions left out of their functions' policies: what a
    /// role that forgot a permission does.
    pub async fn create(without: &[(Function, &str)]) -> FunctionIdentities {
        let emulator = Emulator::shared().await;
        let suffix = unique_name("id");
        let mut args = vec![
            "identities".to_owned(),
            "--endpoint".to_owned(),
            emulator.endpoint().to_owned(),
            "--suffix".to_owned(),
            suffix,
        ];
        for (function, action) in without {
            args.push("--without".to_owned());
            args.push(format!("{function}={action}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let created = emulator.script("function_roles.py", &args).await;
        let created: BTreeMap<String, CreatedIdentity> = serde_json::from_value(created)
            .expect("function_roles.py prints one identity per function");
        let identities: BTreeMap<Function, FunctionIdentity> = created
            .into_iter()
            .map(|(name, identity)| {
                let function = Function::named(&name)
                    .unwrap_or_else(|| panic!("template.yaml has a function {name} gradual lacks"));
                let credentials = Credentials::new(
                    identity.access_key_id,
                    identity.secret_access_key,
                    None,
                    None,
                    "gradual-function-identity",
                );
                let caller = Caller {
                    user: identity.user,
                    actions: Arc::new(identity.actions),
                };
                (
                    function,
                    FunctionIdentity {
                        credentials,
                        caller,
                    },
                )
            })
            .collect();
        for function in Function::ALL {
            assert!(
                identities.contains_key(&function),
                "template.yaml has no function {function}"
            );
        }
        FunctionIdentities(identities)
    }

    pub fn of(&self, function: Function) -> &FunctionIdentity {
        &self.0[&function]
    }
}

/// A caller of the services the local world serves in-process, checked as IAM checks it.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: String,
    pub actions: Arc<BTreeSet<String>>,
}

impl Caller {
    /// `Err` with IAM's message when the caller may not perform `action`.
    pub fn check(&self, action: &str) -> Result<(), String> {
        if self.actions.contains(action) {
            return Ok(());
        }
        Err(format!(
            "User: arn:aws:iam::{ACCOUNT_ID}:user/{} is not authorized to perform: {action} \
             (AccessDeniedException); the function's role in template.yaml needs that action",
            self.user
        ))
    }
}
