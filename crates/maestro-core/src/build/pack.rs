//! `pack build` as a value: every flag maestro passes, decided here and tested as an argv.

use crate::build::repository::ImageRepository;
use crate::env::Env;
use crate::input::vars as var;
use crate::platform::Architecture;
use crate::settings::BuildSettings;

/// How the buildpacks' cache is kept between builds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cache {
    /// In the registry, next to the app's image (`<repository>:cache`).
    Image(String),
    /// Cleared, with images pulled afresh (`MAESTRO_NO_CACHE=true`).
    Cleared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackBuild {
    /// The image pack writes: `<repository>:latest`, as the original did.
    pub image: String,
    /// Further tags of the same image: `<repository>:<short sha>`, the one deploys use, and the
    /// default builder's marker (`builder::marker_tag`).
    pub tags: Vec<String>,
    pub builder: String,
    /// `--trust-builder`: pack runs every lifecycle phase in one container, next to the registry
    /// credentials. Only for a builder pack itself trusts, or under `MAESTRO_TRUST_BUILDER=true`.
    pub trust_builder: bool,
    /// The folder the buildpacks build.
    pub path: String,
    /// The build-time variables (see `build_env`), outside the app's folder.
    pub env_file: String,
    pub cache: Cache,
    pub run_image: Option<String>,
    /// `--platform linux/<arch>`, when the tasks' architecture was chosen (`platform::Architecture`).
    pub platform: Option<String>,
    pub verbose: bool,
    /// `--env` pairs; they win over the env file.
    pub env: Vec<(String, String)>,
    /// `--exec-env`: the CNB execution environment (`test` for the test phase's image); pack's
    /// default, `production`, when `None`.
    pub exec_env: Option<String>,
}

/// What a build needs to know beyond the settings.
pub struct PackInputs<'a> {
    pub repository: &'a ImageRepository,
    pub tag: &'a str,
    pub builder: &'a str,
    pub path: &'a str,
    pub env_file: &'a str,
    pub debug: bool,
    pub architecture: Architecture,
}

/// The builders pack trusts by default (`TrustedBuilders` in pack's
/// `internal/builder/trusted_builder.go`, formerly `KnownBuilders` with `Trusted: true` in
/// `known_builder.go`; `IsKnownTrustedBuilder`; `heroku/builder:26` since buildpacks/pack#2569). With a trusted builder "each of
/// the buildpack's bin/detect and bin/build processes would run within a container that has
/// heightened privileges or access to registry credentials" (buildpacks.io, Trusted builders), so
/// any other builder is trusted only on the user's word (`MAESTRO_TRUST_BUILDER=true`). Compared
/// as written, as pack does.
pub const TRUSTED_BUILDERS: &[&str] = &[
    "gcr.io/buildpacks/builder:google-22",
    "heroku/builder:26",
    "heroku/builder:24",
    "heroku/builder:22",
    "heroku/builder:20",
    "paketobuildpacks/builder-jammy-base",
    "paketobuildpacks/builder-jammy-full",
    "paketobuildpacks/builder-jammy-tiny",
    "paketobuildpacks/builder-jammy-buildpackless-static",
];

/// The tag pack moves to each new build of the repository.
pub const LATEST_TAG: &str = "latest";
/// The tag of pack's build cache image in the repository.
pub const CACHE_TAG: &str = "cache";

impl PackBuild {
    pub fn new(inputs: &PackInputs<'_>, settings: &BuildSettings) -> Self {
        let mut env = Vec::new();
        let cache = if settings.no_cache {
            // The original's switches for the Node.js buildpacks' own caches, kept for its users.
            env.push(("USE_YARN_CACHE".to_owned(), "false".to_owned()));
            env.push(("NODE_MODULES_CACHE".to_owned(), "false".to_owned()));
            Cache::Cleared
        } else {
            Cache::Image(inputs.repository.reference(CACHE_TAG))
        };
        if inputs.debug {
            env.push(("NPM_CONFIG_LOGLEVEL".to_owned(), "debug".to_owned()));
            env.push(("NODE_VERBOSE".to_owned(), "true".to_owned()));
        }
        Self {
            image: inputs.repository.reference(LATEST_TAG),
            tags: std::iter::once(inputs.tag)
                .chain(crate::build::builder::marker_tag(inputs.builder))
                .map(|tag| inputs.repository.reference(tag))
                .collect(),
            builder: inputs.builder.to_owned(),
            trust_builder: settings.trust_builder || TRUSTED_BUILDERS.contains(&inputs.builder),
            path: inputs.path.to_owned(),
            env_file: inputs.env_file.to_owned(),
            cache,
            run_image: settings.run_image.clone(),
            platform: inputs.architecture.build_platform(),
            verbose: inputs.debug,
            env,
            exec_env: None,
        }
    }

    /// The arguments after `pack`.
    pub fn argv(&self) -> Vec<String> {
        let mut argv: Vec<String> = vec!["build".into(), self.image.clone()];
        for tag in &self.tags {
            argv.extend(["--tag".into(), tag.clone()]);
        }
        argv.extend([
            "--builder".into(),
            self.builder.clone(),
            "--path".into(),
            self.path.clone(),
            "--env-file".into(),
            self.env_file.clone(),
            "--publish".into(),
        ]);
        if self.trust_builder {
            argv.push("--trust-builder".into());
        }
        match &self.cache {
            Cache::Image(image) => {
                argv.extend(["--cache-image".into(), image.clone(), "--pull-policy".into(), "if-not-present".into()]);
            }
            Cache::Cleared => argv.extend(["--pull-policy".into(), "always".into(), "--clear-cache".into()]),
        }
        if let Some(run_image) = &self.run_image {
            argv.extend(["--run-image".into(), run_image.clone()]);
        }
        if let Some(platform) = &self.platform {
            argv.extend(["--platform".into(), platform.clone()]);
        }
        for (name, value) in &self.env {
            argv.extend(["--env".into(), format!("{name}={value}")]);
        }
        if let Some(exec_env) = &self.exec_env {
            argv.extend(["--exec-env".into(), exec_env.clone()]);
        }
        if self.verbose {
            argv.push("--verbose".into());
        }
        argv
    }
}

/// Variables pack (and `docker`) may need from maestro's environment; everything else (CI
/// tokens, AWS keys, the OIDC request token) is withheld from them.
const PASSED_TO_PACK: &[&str] = &[
    var::PATH,
    var::HOME,
    var::USER,
    var::LOGNAME,
    var::TMPDIR,
    var::LANG,
    var::LC_ALL,
    var::TZ,
    var::SSL_CERT_FILE,
    var::SSL_CERT_DIR,
    var::HTTP_PROXY,
    var::HTTPS_PROXY,
    var::NO_PROXY,
    var::HTTP_PROXY_LOWER,
    var::HTTPS_PROXY_LOWER,
    var::NO_PROXY_LOWER,
    var::XDG_CONFIG_HOME,
    var::XDG_RUNTIME_DIR,
];
/// pack's own settings (`PACK_HOME`, …) and the Docker client's (`DOCKER_HOST`, …).
const PASSED_PREFIXES: &[&str] = &[var::PACK_PREFIX, var::DOCKER_PREFIX];

/// The environment pack runs with: an allow-list of `env`, nothing else.
pub fn pack_environment(env: &Env) -> Vec<(String, String)> {
    allow_listed(env, PASSED_PREFIXES)
}

/// The system's variables an external program may need (the same list for pack and the test
/// phase's `docker run`), and the ones under `prefixes` (the program's own settings).
pub fn allow_listed(env: &Env, prefixes: &[&str]) -> Vec<(String, String)> {
    env.names()
        .filter(|name| PASSED_TO_PACK.contains(name) || prefixes.iter().any(|prefix| name.starts_with(prefix)))
        .filter_map(|name| env.get(name).map(|value| (name.to_owned(), value.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_gets_only_what_it_needs_from_the_environment() {
        let env = Env::from_process([
            ("PATH", "/usr/bin"),
            ("HOME", "/root"),
            ("DOCKER_HOST", "unix:///run/docker.sock"),
            ("PACK_HOME", "/p"),
            ("AWS_ACCESS_KEY_ID", "AKIA"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_SESSION_TOKEN", "t"),
            ("GITHUB_TOKEN", "ghs"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "x"),
            ("CI_JOB_TOKEN", "j"),
            ("NEW_RELIC_API_KEY", "n"),
        ]);
        let names: Vec<String> = pack_environment(&env).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["DOCKER_HOST", "HOME", "PACK_HOME", "PATH"]);
    }

    fn argv(settings: &BuildSettings, path: &str, debug: bool) -> String {
        argv_with(settings, path, debug, "heroku/builder:24")
    }

    fn argv_with(settings: &BuildSettings, path: &str, debug: bool, builder: &str) -> String {
        let repository =
            ImageRepository { host: "123456789012.dkr.ecr.us-east-1.amazonaws.com".into(), path: "shop-main".into() };
        let inputs = PackInputs {
            repository: &repository,
            tag: "abc12345",
            builder,
            path,
            env_file: "/tmp/maestro-build-1/build.env",
            debug,
            architecture: Architecture::default(),
        };
        PackBuild::new(&inputs, settings).argv().join(" ").replace("123456789012.dkr.ecr.us-east-1.amazonaws.com", "R")
    }

    const BASE: &str = "build R/shop-main:latest --tag R/shop-main:abc12345 --builder heroku/builder:24";
    const PUBLISH: &str = "--env-file /tmp/maestro-build-1/build.env --publish --trust-builder";

    #[test]
    fn default_build_publishes_with_a_registry_cache() {
        assert_eq!(
            argv(&BuildSettings::default(), "/checkout", false),
            format!("{BASE} --path /checkout {PUBLISH} --cache-image R/shop-main:cache --pull-policy if-not-present")
        );
    }

    #[test]
    fn every_combination_of_cache_run_image_sub_folder_and_debug() {
        for no_cache in [false, true] {
            for run_image in [None, Some("heroku/heroku:24".to_owned())] {
                for sub_folder in [None, Some("services/api")] {
                    for debug in [false, true] {
                        let settings = BuildSettings {
                            no_cache,
                            run_image: run_image.clone(),
                            sub_folder: sub_folder.map(str::to_owned),
                            ..BuildSettings::default()
                        };
                        let path = sub_folder.map_or("/checkout".to_owned(), |folder| format!("/checkout/{folder}"));
                        let mut expected = format!("{BASE} --path {path} {PUBLISH}");
                        expected.push_str(if no_cache {
                            " --pull-policy always --clear-cache"
                        } else {
                            " --cache-image R/shop-main:cache --pull-policy if-not-present"
                        });
                        if let Some(run_image) = &run_image {
                            expected.push_str(&format!(" --run-image {run_image}"));
                        }
                        if no_cache {
                            expected.push_str(" --env USE_YARN_CACHE=false --env NODE_MODULES_CACHE=false");
                        }
                        if debug {
                            expected.push_str(" --env NPM_CONFIG_LOGLEVEL=debug --env NODE_VERBOSE=true --verbose");
                        }
                        assert_eq!(argv(&settings, &path, debug), expected);
                    }
                }
            }
        }
    }

    /// M5: `--trust-builder` only for the builders pack trusts itself, or on the user's word.
    /// (It was always passed.)
    #[test]
    fn only_trusted_builders_are_trusted() {
        let settings = BuildSettings::default();
        for builder in TRUSTED_BUILDERS {
            assert!(argv_with(&settings, "/c", false, builder).contains(" --publish --trust-builder"), "{builder}");
        }
        for builder in ["ghcr.io/acme/builder:1", "heroku/builder:24-evil", "docker.io/heroku/builder:24"] {
            let untrusted = argv_with(&settings, "/c", false, builder);
            assert!(!untrusted.contains("--trust-builder"), "{untrusted}");
            assert!(untrusted.contains(&format!("--builder {builder} --path /c --env-file")), "{untrusted}");
            let trusted = BuildSettings { trust_builder: true, ..BuildSettings::default() };
            assert!(argv_with(&trusted, "/c", false, builder).contains(" --publish --trust-builder"));
        }
    }

    #[test]
    fn a_chosen_architecture_is_the_build_platform_and_an_unchosen_one_leaves_argv_as_it_was() {
        use crate::platform::CpuArchitecture;
        let repository = ImageRepository { host: "R".into(), path: "shop-main".into() };
        let argv = |architecture| {
            let inputs = PackInputs {
                repository: &repository,
                tag: "abc12345-arm64",
                builder: "heroku/builder:26",
                path: "/c",
                env_file: "/e",
                debug: false,
                architecture,
            };
            PackBuild::new(&inputs, &BuildSettings::default()).argv().join(" ")
        };
        let arm = argv(Architecture { cpu: CpuArchitecture::Arm64, chosen: true });
        assert!(arm.ends_with("--pull-policy if-not-present --platform linux/arm64"), "{arm}");
        assert!(
            arm.contains("--tag R/shop-main:abc12345-arm64 --tag R/shop-main:builder-heroku-26 --builder"),
            "{arm}"
        );
        let x86 = argv(Architecture { cpu: CpuArchitecture::X86_64, chosen: true });
        assert!(x86.ends_with("--platform linux/amd64"), "{x86}");
        assert!(!argv(Architecture::default()).contains("--platform"));
    }
}
