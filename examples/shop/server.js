// The web process: answers on $PORT, as the load balancer's target group expects.
const http = require("node:http");

const port = Number(process.env.PORT || 3000);
http
  .createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(`shop ${process.env.HOSTNAME || ""} ${request.url}\n`);
  })
  .listen(port, () => console.log(`listening on ${port}`));
