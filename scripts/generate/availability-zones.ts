// `npm run generate:availability-zones -- <dir>`: writes infra/config/availability-zones.json, the zones
// of each region that synth checks `vpc.availabilityZones` against, from a copy of moto's
// instance_type_offerings folder (see availability-zone-source.json for its origin and date). No network:
// the source is a local copy.
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const OUTPUT = path.join(ROOT, 'infra', 'config', 'availability-zones.json');
const source = JSON.parse(fs.readFileSync(path.join(__dirname, 'availability-zone-source.json'), 'utf8')) as Record<string, string>;

/** The distinct `Location` values of one region's offerings file. */
function locations(file: string): string[] {
  const offerings = JSON.parse(fs.readFileSync(file, 'utf8')) as { Location: string }[];
  return [...new Set(offerings.map((offering) => offering.Location))].sort();
}

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'availability-zone')) || !fs.existsSync(path.join(dir, 'availability-zone-id'))) {
  process.stderr.write('usage: npm run generate:availability-zones -- <copy of moto/ec2/resources/instance_type_offerings>\n');
  process.exit(2);
}
const regions: Record<string, { zones: string[]; zoneIds: string[] }> = {};
for (const file of fs.readdirSync(path.join(dir, 'availability-zone')).sort()) {
  const region = file.replace(/\.json$/, '');
  const zones = locations(path.join(dir, 'availability-zone', file));
  const zoneIds = locations(path.join(dir, 'availability-zone-id', file));
  if (zones.length === 0 || zoneIds.length === 0 || zones.some((zone) => !zone.startsWith(region))) {
    throw new Error(`${file}: no zones, or zones of another region`);
  }
  regions[region] = { zones, zoneIds };
}
fs.writeFileSync(OUTPUT, `${JSON.stringify({ generatedBy: 'scripts/generate/availability-zones.ts', source, regions }, null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(regions).length} regions to ${path.relative(ROOT, OUTPUT)}\n`);
