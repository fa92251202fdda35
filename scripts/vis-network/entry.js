// The global `vis` with the names that pyvis's vis-network 9.1.2 (its legacy "dist" build) defines,
// made from vis-network's esnext modules and the peers pinned in package.json; all but DOMutil (SVG
// helpers for vis-timeline, which the esnext build does not export and vis-network does not use).
// scripts/build-vis-network bundles this file.
import * as data from "vis-data/esnext/esm/vis-data.js";
import { DataSet, DataView, Queue } from "vis-data/esnext/esm/vis-data.js";
import * as util from "vis-util/esnext/esm/vis-util.js";
import { Hammer } from "vis-util/esnext/esm/vis-util.js";
import * as keycharm from "keycharm";
import {
  Network,
  NetworkImages,
  networkDOTParser,
  networkGephiParser,
  networkOptions,
  parseDOTNetwork,
  parseGephiNetwork,
} from "vis-network/esnext/esm/vis-network.js";

const network = {
  Images: NetworkImages,
  dotparser: networkDOTParser,
  gephiParser: networkGephiParser,
  allOptions: networkOptions,
  convertDot: parseDOTNetwork,
  convertGephi: parseGephiNetwork,
};

const names = { network, util, data, Hammer, keycharm, DataSet, DataView, Queue, Network };
// As the UMD build does: the global `vis` (made if missing; a property of the global object, not a
// `var`, as the live map runs this script inside a function) gets each name in turn, then `default`
// (the module's default export: the same names) and `__esModule`.
const vis = (globalThis.vis = globalThis.vis || {});
Object.assign(vis, names);
vis.default = Object.freeze({ __proto__: null, ...names });
Object.defineProperty(vis, "__esModule", { value: true });
