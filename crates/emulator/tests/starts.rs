use gradual_emulator::{unique_name, Emulator};

#[tokio::test]
async fn the_emulator_answers_on_loopback() {
    let emulator = Emulator::shared().await;
    assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
    let response = std::net::TcpStream::connect(emulator.endpoint().trim_start_matches("http://"));
    assert!(
        response.is_ok(),
        "nothing listens at {}",
        emulator.endpoint()
    );
}

#[test]
fn unique_names_differ() {
    assert_ne!(unique_name("t"), unique_name("t"));
    assert!(unique_name("table").starts_with("table-"));
}
