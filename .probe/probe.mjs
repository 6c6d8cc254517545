import ts from "typescript"
const files = process.argv.slice(2)
const cfg = ts.getParsedCommandLineOfConfigFile("tsconfig.json", {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
const program = ts.createProgram(files, { ...cfg.options, noEmit: true })
const checker = program.getTypeChecker()
for (const f of files) {
  const sf = program.getSourceFile(f)
  const mod = checker.getSymbolAtLocation(sf)
  for (const sym of checker.getExportsOfModule(mod)) {
    const decl = sym.valueDeclaration
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) continue
    const text = decl.initializer.getText()
    const m = /^Effect\.fn\("([^"]+)"\)/.exec(text)
    const cc = /^caseCommand\("([^"]+)"/.exec(text)
    if (!m && !cc) continue
    const t = checker.getTypeOfSymbolAtLocation(sym, decl)
    const sig = t.getCallSignatures()[0]
    const params = sig.parameters.map((p) => p.name + ": " + checker.typeToString(checker.getTypeOfSymbolAtLocation(p, decl)))
    const ret = sig.getReturnType()
    // Effect<A,E,R>: find [EffectTypeId] property
    const variance = ret.getProperties().find((p) => p.name.includes("EffectTypeId") || p.escapedName.toString().includes("Effect"))
    const str = checker.typeToString(ret, undefined, ts.TypeFormatFlags.NoTruncation)
    console.log(`${sym.name}\t${m ? m[1] : "case:" + cc[1]}\t(${params.join(", ")})\t${str}`)
  }
}
