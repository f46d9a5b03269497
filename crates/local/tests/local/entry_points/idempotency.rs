//! `clientRequestToken`: a repeated request answers the first deployment; the token on a
//! different request is refused; neither writes anything.

use super::support::{deployment_id, targets_request, TestWorld, CANARY};
use gradual_core::Creator;

#[tokio::test]
async fn the_same_token_twice_answers_the_same_deployment_and_writes_nothing() {
    let world = TestWorld::manual().await;
    let function = world.lambda_group("shop", "checkout", CANARY).await;
    let mut request = targets_request("shop", "checkout", &function.function);
    request["clientRequestToken"] = "release-42".into();
    let first = deployment_id(&world.create(request.clone()).await.expect("accepted"));
    world.baking(&first).await;
    let items = world.item_count().await;

    let again = deployment_id(&world.create(request).await.expect("answered"));

    assert_eq!(again, first);
    world.settle().await;
    assert_eq!(world.item_count().await, items);
    assert_eq!(world.items_of_kind("DEPLOYMENT").await, 1);
    assert_eq!(world.items_of_kind("TOKEN").await, 1);
    assert_eq!(world.deployment(&first).await.creator, Creator::User);
}

#[tokio::test]
async fn the_same_token_on_a_different_request_is_refused_without_a_write() {
    let world = TestWorld::manual().await;
    let function = world.lambda_group("shop", "checkout", CANARY).await;
    let mut request = targets_request("shop", "checkout", &function.function);
    request["clientRequestToken"] = "release-42".into();
    let first = deployment_id(&world.create(request.clone()).await.expect("accepted"));
    world.baking(&first).await;
    let items = world.item_count().await;
    request["description"] = "another release".into();

    let error = world.create(request).await.expect_err("a reused token");

    assert_eq!(error.error_type, "InvalidInput");
    assert!(
        error.message.contains("clientRequestToken \"release-42\"")
            && error.message.contains(first.as_str()),
        "{}",
        error.message
    );
    world.settle().await;
    assert_eq!(world.item_count().await, items);
}
