//! Applications: created once, deleted only when they have no deployment groups left.

use super::expression::{absent, present, Placeholders};
use super::failure::{already_exists, not_found};
use super::item::{json, number, DOCUMENT};
use super::keys;
use super::store::DynamoDbStore;
use async_trait::async_trait;
use gradual_core::group::Application;
use gradual_core::ports::{ApplicationStore, Entity, GroupStore, StoreError};

/// How many deployment groups an application has, kept by the group writes' transactions.
pub(super) const GROUP_COUNT: &str = "groupCount";

#[async_trait]
impl ApplicationStore for DynamoDbStore {
    async fn create_application(&self, application: &Application) -> Result<(), StoreError> {
        let name = &application.application_name;
        let item = keys::application(name)
            .with([(DOCUMENT, json(application)?), (GROUP_COUNT, number(0))]);
        if self.put_if(item, absent()).await? {
            Ok(())
        } else {
            Err(already_exists(Entity::Application, name))
        }
    }

    async fn get_application(&self, name: &str) -> Result<Option<Application>, StoreError> {
        self.read_document(&keys::application(name)).await
    }

    async fn delete_application(&self, name: &str) -> Result<(), StoreError> {
        let key = keys::application(name);
        let placeholders = Placeholders::new()
            .name("#groups", GROUP_COUNT)
            .value(":none", number(0));
        let condition = format!("{} AND #groups = :none", present());
        if self.delete_if(&key, condition, &placeholders).await? {
            return Ok(());
        }
        if self.read(&key).await?.is_none() {
            return Err(not_found(Entity::Application, name));
        }
        let groups = self.list_deployment_groups(name).await?;
        Err(StoreError::InUse {
            entity: Entity::Application,
            name: name.to_owned(),
            user: group_list(&groups),
        })
    }
}

/// "deployment group a" or "deployment groups a, b".
fn group_list(names: &[String]) -> String {
    match names {
        [] => "its deployment groups".to_owned(),
        [name] => format!("deployment group {name}"),
        names => format!("deployment groups {}", names.join(", ")),
    }
}
