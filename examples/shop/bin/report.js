// A scheduled task, run by an EventBridge rule with the arguments from tasks/run_tasks.conf.
console.log("report:", process.argv.slice(2).join(" "));
