//! The reads a deploy starts while it checks its inputs and takes the deploy lease: the commit's
//! image (with its repository's lifecycle policy) and the observation of every resource (with
//! the app secret). They are kept when the run
//! took the lease at its first look (`lease::taken_at_once`: no run of the branch was holding
//! it, so nothing it read was changing), and read again under the lease otherwise.

use tokio::sync::oneshot;
use tokio::task::JoinSet;

use super::Destination;
use crate::engine;
use crate::error::Failure;
use crate::workflow::Masker;
use maestro_core::env::Env;
use maestro_core::provision::observed::Observed;
use maestro_core::settings::Settings;

/// What the early reads found, each read's own result.
pub(crate) struct Found {
    pub image: Result<crate::build::Looked, Failure>,
    pub observed: Result<Observed, Failure>,
}

/// The reads, running; dropped, they stop.
pub(crate) struct EarlyReads(JoinSet<Found>);

impl EarlyReads {
    /// Starts the reads for `to`'s plan (none for a preview, whose shared load balancer may be
    /// created under the lease first, nor for a build alone).
    /// The app secret's value is read once `checked` fires: a run whose inputs the account
    /// contradicts reads none.
    pub(crate) fn start(to: &Destination, settings: &Settings, env: &Env, checked: oneshot::Receiver<()>) -> Self {
        let mut reads = JoinSet::new();
        let previews = to.desired.load_balancer.as_ref().is_some_and(|balancer| balancer.previews);
        if settings.build.only || previews {
            return Self(reads);
        }
        let checked = async {
            checked.await.map_err(|_| Failure::new("the inputs' checks did not pass: the app secret was not read"))
        };
        let (clients, desired, settings, env) = (to.clients.clone(), to.desired.clone(), settings.clone(), env.clone());
        reads.spawn(async move {
            let masker = Masker::for_env(&env);
            // The observation reads the app secret, whose client keeps it: `settings_from_secret`
            // reuses it.
            let (image, observed) = tokio::join!(
                crate::build::look(&clients, &desired, &settings, &env, masker),
                Box::pin(engine::observe_after(&clients, &desired, &settings.waiting, checked)),
            );
            Found { image, observed }
        });
        Self(reads)
    }

    /// What the reads found, if they may stand for reads under the lease.
    pub(crate) async fn found(mut self) -> Option<Found> {
        let found = self.0.join_next().await?.ok()?;
        engine::lease::taken_at_once().then_some(found)
    }
}
