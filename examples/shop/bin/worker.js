// The worker process: would take jobs from a queue; here it reports that it is alive.
setInterval(() => console.log("worker: waiting for jobs"), 30_000);
