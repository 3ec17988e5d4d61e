use serde_json::{Map, Value, json};

use super::*;

fn document(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn variable(cpu: CpuArchitecture) -> Option<(CpuArchitecture, Location)> {
    Some((cpu, Location::variable(var::MAESTRO_CPU_ARCHITECTURE)))
}

#[test]
fn the_variable_takes_its_own_words_and_ecs_words_without_case() {
    for (text, cpu) in
        [("arm64", CpuArchitecture::Arm64), ("ARM64", CpuArchitecture::Arm64), ("x86_64", CpuArchitecture::X86_64)]
    {
        assert_eq!(CpuArchitecture::parse(text), Some(cpu), "{text}");
    }
    for text in ["amd64", "aarch64", "", "arm"] {
        assert_eq!(CpuArchitecture::parse(text), None, "{text}");
    }
}

#[test]
fn each_tool_gets_its_own_name() {
    let arm = CpuArchitecture::Arm64;
    assert_eq!(
        (arm.ecs_name(), arm.oci_name(), arm.platform().as_str(), arm.tag_suffix()),
        ("ARM64", "arm64", "linux/arm64", "-arm64")
    );
    let x86 = CpuArchitecture::X86_64;
    assert_eq!(
        (x86.ecs_name(), x86.oci_name(), x86.platform().as_str(), x86.tag_suffix()),
        ("X86_64", "amd64", "linux/amd64", "")
    );
}

#[test]
fn nothing_chosen_writes_nothing_new() {
    let unchosen = resolve(None, []).unwrap();
    assert_eq!(unchosen, Architecture::default());
    assert_eq!((unchosen.runtime_platform(), unchosen.build_platform()), (None, None));
    let arm = resolve(variable(CpuArchitecture::Arm64), []).unwrap();
    assert_eq!(arm.runtime_platform(), Some(json!({"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"})));
    assert_eq!(arm.build_platform().as_deref(), Some("linux/arm64"));
}

#[test]
fn a_base_file_chooses_when_the_variable_does_not_and_must_agree_when_it_does() {
    let arm = document(json!({"runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}}));
    let bare = document(json!({"family": "x"}));
    let chosen = resolve(None, [("task-definition-web.json", &arm), ("task-definition-worker.json", &bare)]).unwrap();
    assert_eq!(chosen, Architecture { cpu: CpuArchitecture::Arm64, chosen: true });
    assert!(resolve(variable(CpuArchitecture::Arm64), [("task-definition-web.json", &arm)]).is_ok());

    let error = resolve(variable(CpuArchitecture::X86_64), [("task-definition-web.json", &arm)]).unwrap_err();
    assert_eq!(error.location.to_string(), "task-definition-web.json");
    assert_eq!(
        error.message,
        "`runtimePlatform.cpuArchitecture` is `ARM64`, but MAESTRO_CPU_ARCHITECTURE asks for `X86_64`"
    );
    assert!(error.hint.contains("make the base files agree with MAESTRO_CPU_ARCHITECTURE"), "{}", error.hint);

    let x86 = document(json!({"runtimePlatform": {"cpuArchitecture": "X86_64"}}));
    let error = resolve(None, [("a.json", &arm), ("b.json", &x86)]).unwrap_err();
    assert_eq!(
        (error.location.to_string(), error.message.contains("a.json asks for `ARM64`")),
        ("b.json".to_owned(), true)
    );
}

#[test]
fn a_base_file_platform_ecs_would_refuse_or_maestro_cannot_build_is_bad_input() {
    for (platform, says) in [
        (json!({"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}), "maestro's images run on `LINUX`"),
        (json!({"cpuArchitecture": "arm64"}), "which ECS does not know"),
        (json!({"cpuArchitecture": "AMD64"}), "which ECS does not know"),
        (json!("ARM64"), "not an object"),
    ] {
        let base = document(json!({"runtimePlatform": platform}));
        let error = resolve(None, [("task-definition-web.json", &base)]).unwrap_err();
        assert!(error.message.contains(says), "{}", error.message);
        assert!(!error.hint.is_empty());
    }
}

#[test]
fn an_image_fits_mismatches_or_cannot_be_judged() {
    let offered = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect::<Vec<_>>();
    let arm = CpuArchitecture::Arm64;
    assert_eq!(image_fit(arm, "ghcr.io/acme/shop:1", &offered(&["amd64", "arm64"])), ImageFit::Fits);
    assert_eq!(image_fit(CpuArchitecture::X86_64, "i", &offered(&["amd64"])), ImageFit::Fits);
    assert_eq!(
        image_fit(arm, "ghcr.io/acme/shop:1", &offered(&["amd64"])),
        ImageFit::Mismatch {
            message: "image ghcr.io/acme/shop:1 is built for amd64, but the tasks run on arm64".into(),
            hint: "build the image for linux/arm64 (e.g. `docker buildx build --platform linux/arm64`), \
                   or set MAESTRO_CPU_ARCHITECTURE=x86_64"
                .into(),
        }
    );
    let ImageFit::Mismatch { hint, .. } = image_fit(CpuArchitecture::X86_64, "i", &offered(&["arm64", "s390x"])) else {
        panic!("an arm64-only image does not fit x86_64 tasks");
    };
    assert!(hint.ends_with("or set MAESTRO_CPU_ARCHITECTURE=arm64"), "{hint}");
    for names in [&[][..], &["riscv64"][..]] {
        let ImageFit::Unknown { warning } = image_fit(arm, "i", &offered(names)) else {
            panic!("{names:?} cannot be judged");
        };
        assert!(warning.contains("the tasks run on arm64 (linux/arm64)"), "{warning}");
    }
}
