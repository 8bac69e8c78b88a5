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
} from './uscc.ts';
export { seededRandom } from './random.ts';
export { industry, isKnownIndustry, industries, sectionOf, type Industry, type IndustryLevel } from './industry.ts';
export { regions, regionName, type Region } from './regions.ts';
