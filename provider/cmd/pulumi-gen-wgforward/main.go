// Command pulumi-gen-wgforward generates wgforward's TypeScript, Python and Go SDKs from
// schema.json with Pulumi's own code generators, the same ones `pulumi package gen-sdk` reaches
// through the language hosts (pulumi-language-nodejs/python/go, which the Go module proxy does
// not serve). It is the usual pulumi-gen-<provider> tool; scripts/gen-sdk.sh runs it.
//
// Usage: pulumi-gen-wgforward -schema schema.json -version 0.1.0 -out DIR nodejs|python|go...
// writes DIR/nodejs, DIR/python and DIR/go, each emptied first.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-gen-wgforward"

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	version := flag.String("version", "", "the plugin version the SDKs are for (the Maven project's version)")
	out := flag.String("out", "sdk", "directory that receives one directory per language")
	flag.Parse()
	if *version == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-gen-wgforward -schema FILE -version X.Y.Z -out DIR nodejs|python|go...")
		os.Exit(2)
	}
	for _, language := range flag.Args() {
		if err := generate(*schemaPath, *version, *out, language); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %s: %v\n", tool, language, err)
			os.Exit(1)
		}
	}
}

func generate(schemaPath, version, out, language string) error {
	pkg, err := bind(schemaPath, version)
	if err != nil {
		return err
	}
	var files map[string][]byte
	switch language {
	case "nodejs":
		files, err = nodejsgen.GeneratePackage(tool, pkg, nil, nil, false, nil)
	case "python":
		files, err = pythongen.GeneratePackage(tool, pkg, nil, nil)
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	default:
		return fmt.Errorf("unknown language (nodejs, python or go)")
	}
	if err != nil {
		return err
	}
	dir := filepath.Join(out, language)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "%s: %s: %d files in %s\n", tool, language, len(files), dir)
	return nil
}

// bind reads the schema afresh for each language (the generators record their own language
// info on the bound package) and gives it the plugin's version: schema.json carries none, the
// plugin reports its own. With the languages' respectSchemaVersion (in schema.json), the
// generators write it into the packages (package.json, pyproject.toml) and into every resource
// registration, instead of placeholders a release pipeline would have to replace.
func bind(schemaPath, version string) (*schema.Package, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	if _, err := semver.Parse(version); err != nil {
		return nil, fmt.Errorf("version %q: %w", version, err)
	}
	spec.Version = version
	// A loader is required (binding panics without one); this schema references no other package,
	// so it never needs to load one.
	pkg, err := schema.ImportSpec(spec, map[string]schema.Language{
		"nodejs": nodejsgen.Importer,
		"python": pythongen.Importer,
		"go":     gogen.Importer,
	}, schema.NewCachedLoader(nil), schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("binding %s: %w", schemaPath, err)
	}
	return pkg, nil
}
