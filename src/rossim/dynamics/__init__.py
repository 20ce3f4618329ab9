"""rossim.dynamics"""
