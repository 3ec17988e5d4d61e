#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| maestro::core::fuzz::run("circuit_breaker", data));
