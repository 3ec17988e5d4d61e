// The clock process: an in-process scheduler, the alternative to EventBridge scheduled tasks.
setInterval(() => console.log("clock: tick"), 60_000);
