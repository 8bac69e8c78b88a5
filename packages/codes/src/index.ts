export {
  validateUscc,
  isValidUscc,
  usccCheckChar,
  orgCodeCheckChar,
  generateUscc,
  USCC_CHARSET,
  USCC_AUTHORITIES,
  type UsccResult,
  type UsccOptions,
  type GenerateUsccOptions,
} from './uscc';
export { seededRandom } from './random';
export {
  industry,
  isKnownIndustry,
  industries,
  sectionOf,
  industryCover,
  coversIndustry,
  industryLineage,
  listReach,
  onListOf,
  type Industry,
  type IndustryLevel,
  type IndustryCover,
} from './industry';
export { regions, regionName, type Region } from './regions';
