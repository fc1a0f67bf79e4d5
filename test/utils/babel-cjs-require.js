/**
 * Babel plugin for the ESM packages Jest converts to CommonJS (see jest.config.js). Those
 * packages declare `const require = createRequire(import.meta.url)`; after conversion the
 * module already has a real `require`, and the redeclaration breaks the hoisted imports. This
 * removes such declarations.
 */
module.exports = function cjsRequire() {
  return {
    visitor: {
      VariableDeclarator(path) {
        const { id, init } = path.node;
        if (
          id.type === 'Identifier' &&
          id.name === 'require' &&
          init &&
          init.type === 'CallExpression' &&
          init.callee.type === 'Identifier' &&
          init.callee.name === 'createRequire'
        ) {
          if (path.parentPath.node.declarations.length === 1) path.parentPath.remove();
          else path.remove();
        }
      },
    },
  };
};
