import "./guards";
