//! The deploy's image phases: the test phase first (when on), the app secret's values masked,
//! the commit's image looked up and built when missing.

use super::{Deploy, Destination, build};
use crate::error::Error;
use crate::workflow::Masker;
use maestro_core::build::FoundImage;
use maestro_core::report::Event;

impl Deploy<'_> {
    /// The test phase, reported; tests that failed stop the deploy before its first write.
    pub(super) async fn test(&mut self, to: &Destination, tests: &crate::test_phase::Prepared) -> Result<(), Error> {
        let tested = crate::test_phase::run(tests, self.inputs, self.checkout, to, self.options.force).await?;
        self.report(&Event::Tested(tested.clone())).await;
        if tested.passed() { Ok(()) } else { Err(crate::test_phase::failure(&tested).into()) }
    }

    /// On GitHub, masks the app secret's values on every deploy (built or not): the release's and
    /// stopped tasks' log lines relayed later are the app's, and the runner's masker is the last
    /// line of defence behind maestro's own Redactor. The secret was read for the change set
    /// already; this is no new call.
    pub(super) async fn mask_app_secret(&self, to: &Destination) -> Result<(), Error> {
        let masker = Masker::for_env(&self.inputs.env);
        for value in to.clients.secrets.values(&to.desired.secret).await? {
            masker.mask(&value);
        }
        Ok(())
    }

    /// The commit's image, if its registry has it already (reads only).
    pub(super) async fn existing_image(&self, to: &Destination) -> Result<Option<FoundImage>, Error> {
        let masker = Masker::for_env(&self.inputs.env);
        Ok(crate::build::existing(&to.clients, &to.desired, &self.inputs.settings, &self.inputs.env, masker).await?)
    }

    /// The commit's image, built when missing.
    pub(super) async fn build(
        &mut self,
        to: &Destination,
        looked: Option<crate::build::Looked>,
    ) -> Result<crate::build::Built, Error> {
        let built = build::image(self.inputs, self.checkout, to, self.tool.as_deref(), looked).await?;
        self.image = Some(built.image.clone());
        self.built_with.clone_from(&built.built_with);
        self.report(&Event::Built(built.image.clone())).await;
        Ok(built)
    }
}
