// @argus/simulator: virtual IP cameras for the demo and for every test.
export {};
