/**
 * A jest transformer for Angular's packages, which ship ES modules only (`.mjs`): esbuild turns
 * each file into CommonJS, as ts-jest does the specs, so the specs of `rx-anthropic/angular` load
 * `@angular/core` and `@angular/common/http` the way they load everything else. jest.config.cjs
 * sends `node_modules/@angular/**.mjs` here, and ArkType's `.js` files (ES modules only as well).
 */
const { transformSync, version } = require('esbuild');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: 'js', format: 'cjs', target: 'es2022', sourcemap: 'external', sourcefile: filename });
    // esbuild imports the default of a module from an .mjs file as Node does (the whole CommonJS
    // exports); every module here is an ES module turned CommonJS, whose default is its `default`
    // (@angular/platform-server's `import domino from` needs it).
    return { code: code.replace(/__toESM\((require\("[^"]+"\)), 1\)/g, '__toESM($1)'), map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(`esmToCommonJS 2 ${version} ${filename}\n`).update(source).digest('hex');
  },
};
