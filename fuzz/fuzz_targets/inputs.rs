#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| maestro_core::fuzz::run_any(data));
