// A scheduled task, run by an EventBridge rule with the arguments from tasks/run_tasks.conf.
console.log("feed:", process.argv.slice(2).join(" "));
