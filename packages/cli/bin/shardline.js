#!/usr/bin/env node
// Entry point kept outside dist/ so npm can link it before the first build.
import "../dist/bin.js";
