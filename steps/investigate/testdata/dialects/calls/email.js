const mailjet = require("node-mailjet").connect(
  "06c0cb0857d26fa550df01dfddf6959d",
  "7501b78e31be824b602f46bb7aab8e6e"
);
const request = mailjet.post("send", { version: "v3.1" }).request({});
