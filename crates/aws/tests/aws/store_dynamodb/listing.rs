//! Listing a group's deployments, newest first, a page at a time.

use super::creation::end;
use super::support::fresh_table;
use gradual_core::fixtures;
use gradual_core::ports::DeploymentIndex;
use gradual_core::ports::DeploymentRecords;
use gradual_core::ports::StoreError;
use time::Duration;

#[tokio::test]
async fn deployments_are_listed_newest_first_in_pages() {
    let table = fresh_table().await;
    let store = &table.store;
    let group = table.registered_group("shop", "live").await;
    let mut created = Vec::new();
    for minute in 0..7 {
        let mut deployment = fixtures::lambda_deployment(&group);
        deployment.create_time = fixtures::created_at() + Duration::minutes(minute);
        store.create_deployment(&deployment, None).await.unwrap();
        end(store, &deployment.id).await;
        created.push(deployment.id);
    }
    // Another group's deployment is not listed.
    let other = table.registered_group("shop", "beta").await;
    store
        .create_deployment(&fixtures::lambda_deployment(&other), None)
        .await
        .unwrap();

    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = store
            .list_deployments("shop", "live", 3, token.as_deref())
            .await
            .unwrap();
        pages.push(page.items);
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![3, 3, 1]
    );
    let listed: Vec<_> = pages.concat();
    let newest_first: Vec<_> = created.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first);

    // A token can be used again, and gives the same page.
    let first = store
        .list_deployments("shop", "live", 3, None)
        .await
        .unwrap();
    let token = first.next_token.unwrap();
    let again = store
        .list_deployments("shop", "live", 3, Some(&token))
        .await
        .unwrap();
    assert_eq!(again.items, newest_first[3..6]);
    let all = store
        .list_deployments("shop", "live", 7, None)
        .await
        .unwrap();
    assert_eq!((all.items, all.next_token), (newest_first, None));
    let empty = store
        .list_deployments("shop", "gamma", 3, None)
        .await
        .unwrap();
    assert_eq!((empty.items, empty.next_token), (vec![], None));

    for bad in ["not-a-token", "", token.as_str()] {
        let group = if bad == token { "beta" } else { "live" };
        assert_eq!(
            store.list_deployments("shop", group, 3, Some(bad)).await,
            Err(StoreError::InvalidNextToken {
                token: bad.to_owned()
            }),
            "token {bad:?} for group {group}"
        );
    }
}
