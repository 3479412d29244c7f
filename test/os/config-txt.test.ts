import { describe, expect, it } from 'vitest';
import { effectiveSetting, modelFilters, setConfigValue } from '../../src/os/config-txt.js';
import { PI_CONFIG_BOOKWORM } from '../support/facts-factory.js';

const PI4 = modelFilters('rpi4', 'Raspberry Pi 4 Model B Rev 1.5');

describe('config.txt gpu_mem', () => {
  it('appends after the final [all] of the Pi OS default file', () => {
    expect(setConfigValue(PI_CONFIG_BOOKWORM, 'gpu_mem', '16', PI4)).toBe(`${PI_CONFIG_BOOKWORM}gpu_mem=16\n`);
  });

  it('opens an [all] section when the file ends inside a conditional one (a line after [cm5] only applies to a CM5)', () => {
    const text = 'arm_64bit=1\n[cm5]\ndtoverlay=dwc2,dr_mode=host\n';
    expect(setConfigValue(text, 'gpu_mem', '16', PI4)).toBe(`${text}[all]\ngpu_mem=16\n`);
    expect(setConfigValue('[HDMI:0]\nhdmi_mode=16', 'gpu_mem', '16', PI4)).toBe('[HDMI:0]\nhdmi_mode=16\n[all]\ngpu_mem=16\n');
  });

  it('appends directly to a file without sections, and creates one from nothing', () => {
    expect(setConfigValue('arm_64bit=1\n', 'gpu_mem', '16', PI4)).toBe('arm_64bit=1\ngpu_mem=16\n');
    expect(setConfigValue('', 'gpu_mem', '16', PI4)).toBe('gpu_mem=16\n');
  });

  it('replaces the existing unconditional value in place', () => {
    expect(setConfigValue('gpu_mem=128\narm_64bit=1\n[all]\n', 'gpu_mem', '16', PI4)).toBe('gpu_mem=16\narm_64bit=1\n[all]\n');
  });

  it('also replaces a [pi4] value that would override it, but not a [cm5] or [pi3] one', () => {
    const text = '[all]\ngpu_mem=16\n[pi4]\ngpu_mem=256\n[cm5]\ngpu_mem=512\n[pi3+]\ngpu_mem=64\n[all]\n';
    expect(effectiveSetting(text, 'gpu_mem', PI4)).toBe('256');
    expect(setConfigValue(text, 'gpu_mem', '16', PI4)).toBe('[all]\ngpu_mem=16\n[pi4]\ngpu_mem=16\n[cm5]\ngpu_mem=512\n[pi3+]\ngpu_mem=64\n[all]\n');
  });

  it('ignores a value only a CM5 would see, and appends one for the Pi 4', () => {
    const text = '[cm5]\ngpu_mem=16\n[all]\n';
    expect(effectiveSetting(text, 'gpu_mem', PI4)).toBeUndefined();
    expect(setConfigValue(text, 'gpu_mem', '16', PI4)).toBe(`${text}gpu_mem=16\n`);
    expect(effectiveSetting(text, 'gpu_mem', modelFilters('rpi5', 'Raspberry Pi Compute Module 5 Rev 1.0'))).toBe('16');
  });

  it('changes nothing when the board already sees the value; does not confuse gpu_mem_1024 with gpu_mem', () => {
    expect(setConfigValue(`${PI_CONFIG_BOOKWORM}gpu_mem=16\n`, 'gpu_mem', '16', PI4)).toBeUndefined();
    expect(effectiveSetting('gpu_mem_1024=256\n', 'gpu_mem', PI4)).toBeUndefined();
  });

  it('knows the model filters of each board', () => {
    expect(PI4).toEqual(['pi4']);
    expect(modelFilters('rpi4', 'Raspberry Pi Compute Module 4 Rev 1.1')).toEqual(['pi4', 'cm4']);
    expect(modelFilters('rpi4', 'Raspberry Pi 400 Rev 1.0')).toEqual(['pi4', 'pi400']);
    expect(modelFilters('rpi5', undefined)).toEqual(['pi5']);
    expect(modelFilters('generic', undefined)).toEqual([]);
  });

  it('keeps lines within 98 characters', () => {
    const out = setConfigValue(PI_CONFIG_BOOKWORM, 'gpu_mem', '944', PI4) ?? '';
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(98);
  });
});
