#!/usr/bin/env node
// The `tributary` command runs the built CLI (dist/bin.js). It is a committed file of its own so that
// npm links the command when it installs the workspace, before anything is built.
import '../dist/bin.js';
